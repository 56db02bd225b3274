#!/bin/bash
# api/ holds wire types only: it may import nothing but the standard library.
set -euo pipefail
bad=$(go list -f '{{.ImportPath}}: {{join .Imports " "}}' ./api/... | tr ' ' '\n' | grep -E '^[a-z0-9.-]+\.[a-z]+/' | grep -v '^github.com/monostack/monostack/api/' || true)
if [ -n "$bad" ]; then echo "api/ imports non-standard packages:"; echo "$bad"; exit 1; fi
