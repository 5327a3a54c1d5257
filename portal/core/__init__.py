"""Pure domain core: field types, text folding, header mapping and validation."""
