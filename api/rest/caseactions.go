package rest

import (
	"encoding/json"
	"errors"
	"net/http"

	"minyi"
	"minyi/api/core"

	"github.com/labstack/echo/v4"
)

func decodeReply(c echo.Context, u *minyi.User) (any, error) {
	var b core.ReplyBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return core.ReplyArgs(u, b)
}

type returnBody struct {
	Reason string `json:"reason"`
}

func decodeReturn(c echo.Context, u *minyi.User) (any, error) {
	var b returnBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return core.ReturnArgs(u, b.Reason)
}

type extensionBody struct {
	Reason string `json:"reason"`
	Days   int    `json:"days"`
}

func decodeExtension(c echo.Context, u *minyi.User) (any, error) {
	var b extensionBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return core.ExtensionArgs(u, b.Reason, b.Days)
}

type decisionBody struct {
	Approve *bool  `json:"approve"`
	Reason  string `json:"reason"`
}

func (s *server) decodeDecision(c echo.Context, u *minyi.User) (any, error) {
	var b decisionBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return core.DecisionArgs(u, b.Approve, b.Reason)
}

type ratingBody struct {
	Rating  minyi.Rating `json:"rating"`
	Comment string       `json:"comment"`
}

func decodeRating(c echo.Context, _ *minyi.User) (any, error) {
	var b ratingBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return core.RatingArgs(b.Rating, b.Comment)
}

type reassignBody struct {
	Department string `json:"department"`
	Reason     string `json:"reason"`
}

func (s *server) decodeReassign(c echo.Context, u *minyi.User) (any, error) {
	var b reassignBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return s.ReassignArgs(u, b.Department, b.Reason)
}

type mergeBody struct {
	Into   string `json:"into"`
	Reason string `json:"reason"`
}

func decodeMerge(c echo.Context, u *minyi.User) (any, error) {
	var b mergeBody
	if err := decodeBody(c, &b); err != nil {
		return nil, err
	}
	return core.MergeArgs(u, b.Into, b.Reason)
}

// decodeBody reads one JSON object and nothing else.
func decodeBody(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		var he *echo.HTTPError
		switch {
		case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
			return he
		case errors.As(err, &tooLarge):
			return minyi.Errorf(minyi.ETOOLARGE, "request body is larger than %d bytes", tooLarge.Limit)
		}
		return minyi.Errorf(minyi.EINVALID, "invalid JSON: %v", err)
	}
	if dec.More() {
		return minyi.Errorf(minyi.EINVALID, "invalid JSON: more than one value in the body")
	}
	return nil
}
