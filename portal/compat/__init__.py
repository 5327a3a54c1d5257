"""The data.egov.uz-shaped endpoints, a thin skin over services."""
