"""The site model: emissions by sector and energy carrier, the grid, what each measure does,
the pathway and the economics."""
