"""Forms for the fund's pages. They validate and normalise (pounds to pence, files by their
content); the services do the writing. Plain forms with explicit fields (AC-4)."""
