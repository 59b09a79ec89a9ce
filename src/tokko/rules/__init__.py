"""Rule files: their schema, their checks, loading a folder and choosing the version in force."""

from tokko.rules.ruleset import RuleSet, RuleVersion, check_rules, load_rules
from tokko.rules.schema import RuleFile

__all__ = ["RuleFile", "RuleSet", "RuleVersion", "check_rules", "load_rules"]
