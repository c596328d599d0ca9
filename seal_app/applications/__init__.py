"""The school's application: self-assessment, evidence, votes, submission, requests for more."""
