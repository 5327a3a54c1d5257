"""HTTP only: flask-smorest blueprints, one module per resource."""
