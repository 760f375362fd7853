package rest

import (
	"minyi/api/core"
	"minyi/api/web"
)

// The tests serve every audience, as package api wires them.
func init() { core.Mount(web.ErrorPage, Routes, web.Routes) }
