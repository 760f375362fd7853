package temporalserver_test

import (
	"go.temporal.io/api/workflowservice/v1"

	"minyi/temporalserver"
)

func describe() *workflowservice.DescribeNamespaceRequest {
	return &workflowservice.DescribeNamespaceRequest{Namespace: temporalserver.Namespace}
}
