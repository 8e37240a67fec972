"""The data layer: the contract, the versioned store, validation, import, and the one door to the
database (db). Nothing here knows about screens."""
