"""Pure Python helpers of the generator: identifier check digits and name patterns."""
