package temporalserver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"minyi/workflows"
)

// SearchAttributes are the custom search attributes minyi sets; a server
// must have them registered in minyi's namespace before a schedule using
// them can be created. deploy/ registers the same list on a real cluster.
var SearchAttributes = map[string]enums.IndexedValueType{
	workflows.SourceKey.GetName(): enums.INDEXED_VALUE_TYPE_KEYWORD,
}

// registerSearchAttributes adds SearchAttributes to Namespace; the server
// skips the ones it already has, so every start may call it.
func registerSearchAttributes(hostPort string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := client.Dial(client.Options{HostPort: hostPort, Namespace: Namespace, Logger: quietLogger{}})
	if err != nil {
		return fmt.Errorf("connecting to temporal to register search attributes: %w", err)
	}
	defer c.Close()
	req := &operatorservice.AddSearchAttributesRequest{Namespace: Namespace, SearchAttributes: SearchAttributes}
	for wait := 200 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		_, err = c.OperatorService().AddSearchAttributes(ctx, req)
		var unavailable *serviceerror.Unavailable
		var notFound *serviceerror.NamespaceNotFound
		// Right after a start the services may not have joined yet, and a
		// namespace registered a moment ago may not be in every cache.
		if err == nil || !errors.As(err, &unavailable) && !errors.As(err, &notFound) {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("registering search attributes: %w", err)
		case <-time.After(wait):
		}
	}
	if err != nil {
		return fmt.Errorf("registering search attributes: %w", err)
	}
	return nil
}

// quietLogger keeps the SDK client's own logs out of the server's.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
