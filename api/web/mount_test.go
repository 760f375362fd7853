package web

import (
	"minyi/api/core"
	"minyi/api/rest"
)

// The tests serve every audience, as package api wires them.
func init() { core.Mount(ErrorPage, rest.Routes, Routes) }
