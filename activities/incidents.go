package activities

import (
	"context"

	"go.temporal.io/sdk/temporal"

	"minyi"
)

// OpenIncident builds the case of a 舆情事件 the analyst raised: assigned to
// the department they chose, due at their deadline, with the rungs of the
// ladder around it, about the post raised (its source and region).
func (a *Activities) OpenIncident(ctx context.Context, in minyi.Incident) (CaseOpened, error) {
	doc, err := a.Store.Document(ctx, in.DocumentID)
	if err != nil {
		if minyi.ErrorCode(err) == minyi.ENOTFOUND {
			return CaseOpened{}, temporal.NewNonRetryableApplicationError(err.Error(), minyi.ENOTFOUND, err)
		}
		return CaseOpened{}, err
	}
	ladder := a.Deadlines.PlanDue(a.Calendar, in.Raised, in.Deadline)
	r := minyi.Routing{Department: in.Department, Rule: "incident", At: in.Raised,
		Reason: "舆情事件交办 raised by " + in.RaisedBy + ": " + in.Note}
	c := minyi.Case{
		ID: in.ID, DocumentID: in.DocumentID, Source: doc.Source, Title: in.Title,
		Category: categoryOf(doc), Region: a.region(doc), Department: in.Department, Routing: &r,
		Status: minyi.CaseOpen, Received: in.Raised, Due: ladder.Due,
	}
	return CaseOpened{Case: c, Ladder: ladder}, nil
}
