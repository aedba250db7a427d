package redact

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go/logging"
)

// Credentials wraps a credentials provider: the values it returns are
// [Register]ed, and its errors are wrapped with [Error]. Wrap the inner
// provider and cache the result (aws.NewCredentialsCache), or wrap a cache;
// both work, registration of a value already known is a map lookup.
func Credentials(p aws.CredentialsProvider) aws.CredentialsProvider {
	if p == nil {
		return nil
	}
	if _, ok := p.(*provider); ok {
		return p
	}
	return &provider{inner: p}
}

type provider struct{ inner aws.CredentialsProvider }

func (p *provider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := p.inner.Retrieve(ctx)
	if err != nil {
		return c, Error(err)
	}
	Register(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	return c, nil
}

// String never shows the inner provider, which may hold static keys.
func (p *provider) String() string { return "redact.Credentials(...)" }

// GoString keeps %#v away from the inner provider.
func (p *provider) GoString() string { return p.String() }

// Logger wraps an SDK logger so every line is passed through [String].
// A nil logger gives a nil logger.
func Logger(l logging.Logger) logging.Logger {
	if l == nil {
		return nil
	}
	return logging.LoggerFunc(func(c logging.Classification, format string, v ...interface{}) {
		l.Logf(c, "%s", String(sprintf(format, v...)))
	})
}

// sprintf formats like fmt.Sprintf, but leaves a message without arguments
// as it is (a literal '%' in it is not a verb).
func sprintf(format string, v ...interface{}) string {
	if len(v) == 0 {
		return format
	}
	return fmt.Sprintf(format, v...)
}
