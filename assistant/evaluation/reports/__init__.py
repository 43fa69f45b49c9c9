"""Reports of an evaluation run: self-contained HTML, comparison HTML, JUnit XML and JSON."""
