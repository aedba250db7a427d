package serve

import (
	"fmt"
	"github.com/busdrill/busdrill/sim/backbone"

	"github.com/busdrill/busdrill/serve/wire"
)

// apiError is an error answer of any of the three services.
type apiError = wire.Error

func validationf(format string, a ...any) *apiError {
	return wire.Validation(fmt.Sprintf(format, a...))
}

func notFound(msg string) *apiError {
	return &apiError{Code: "ResourceNotFoundException", Message: msg}
}

func alreadyExists(msg string) *apiError {
	return &apiError{Code: "ResourceAlreadyExistsException", Message: msg}
}

func errAccessDenied(msg string) *apiError {
	return &apiError{Code: "AccessDeniedException", Message: msg}
}

func limitExceeded() *apiError {
	return &apiError{Code: "LimitExceededException", Message: "The requested resource exceeds the maximum number allowed."}
}

func internalError(err error) *apiError {
	return &apiError{Code: "InternalException", Message: err.Error(), Status: 500, Receiver: true}
}

// backboneAPIError is the model's request-level error.
type backboneAPIError = backbone.APIError
