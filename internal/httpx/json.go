package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/errs"
)

// WriteJSON writes v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	return WriteJSONAs(w, status, "application/json", v)
}

// WriteJSONAs writes v as JSON with the given content type.
// Like upstream, "&", "<" and ">" are written as they are, not escaped.
func WriteJSONAs(w http.ResponseWriter, status int, contentType string, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return errs.Wrap(errs.Internal, err, "encode response")
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return nil
}

// ReadBody reads the whole request body, mapping an over-limit body to 413.
func ReadBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errs.New(errs.TooLarge, "Request is too large.")
	}
	if err != nil {
		return nil, errs.Wrap(errs.BadRequest, err, "could not read the request body")
	}
	return b, nil
}

// DecodeJSON reads the request body into v. Malformed JSON, a body that is
// not an object, and values of the wrong type are 400s naming the field.
func DecodeJSON(r *http.Request, v any) error {
	b, err := ReadBody(r)
	if err != nil {
		return err
	}
	return Unmarshal(b, v)
}

// Unmarshal decodes a JSON object body into v with client-facing errors.
func Unmarshal(b []byte, v any) error {
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return errs.BadRequestf("The request body is empty; a JSON object is required.")
	}
	if trimmed[0] != '{' {
		return errs.BadRequestf("The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return errs.BadRequestf("Malformed request body: trailing data after the JSON object.")
	}
	return nil
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if i := strings.LastIndex(field, "."); i >= 0 {
			field = field[i+1:]
		}
		return errs.BadRequestf("Invalid input for field '%s': %s is not of type '%s'.",
			field, typeErr.Value, jsonTypeName(typeErr.Type.Kind().String()))
	}
	var synErr *json.SyntaxError
	if errors.As(err, &synErr) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errs.BadRequestf("Malformed request body: %s", err.Error())
	}
	return errs.BadRequestf("Malformed request body: %s", err.Error())
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	case "slice", "array":
		return "array"
	case "int", "int64", "int32", "uint", "uint64", "uint32":
		return "integer"
	case "float64", "float32":
		return "number"
	}
	return fmt.Sprint(kind)
}
