"""Demo datasets (placeholder while authoring is written)."""


def load_demo_datasets(data):
    """Load the demo datasets as version 1 of each."""
