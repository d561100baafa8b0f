"""Everything that runs, stores, compares and shows results. Talks to the model through data."""
