"""Young people in aftercare: identity (tokens, pairing codes), meetings and education."""
