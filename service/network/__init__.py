"""Links between entities: the keys that derive them, ownership aggregation, the graph screening walks."""
