"""Decisions: the decision matrix, weights, ranking, sensitivity, the roadmap and the budget
portfolio."""
