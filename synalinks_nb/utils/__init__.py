"""Small internal helpers with no dependencies on the rest of the package."""
