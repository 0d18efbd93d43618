"""Commands for the learning lead's comparisons: rising/falling themes and co-occurrence."""
