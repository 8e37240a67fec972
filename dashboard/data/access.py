"""Who may see what: roles, scopes and the roles file.

A person signed in to the app gets an `Access`: a role (what they may do) and a scope (which agencies
they may see). The query layer (db.Store.scoped) takes it as part of every selection, so a page, a
download or a brief can never widen it. The command line is the operator on the machine: it runs
with `operator()`, every agency, every action.

Roles:
- viewer: the pages and their aggregates; no criterion-level rows of an agency, no downloads;
- analyst: also criterion-level rows and exports (Explore's downloads);
- admin: also the store's history and the Import page.

A scope limits a person to some agency types, ministries/clusters (Thai name, as the data has it)
and agency codes; the dimensions it names must all match (types AND groups AND codes). An empty
scope means nothing, never everything: everything is said as `scope = "all"`.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, replace
from pathlib import Path

from dashboard.data.contract import AGENCY_TYPES, printable
from dashboard.errors import DataError

ROLES = ("viewer", "analyst", "admin")
ACTIONS = {
    "viewer": frozenset({"see"}),
    "analyst": frozenset({"see", "rows", "export"}),
    "admin": frozenset({"see", "rows", "export", "history", "import"}),
}
# Named queries that return an agency's scores criterion by criterion, or a scenario's list of the
# agencies it moves (issue 18: a viewer sees a scenario's counts only): the "rows" action.
ROW_LEVEL_QUERIES = frozenset(
    {"score_by_agency_criterion_year", "agencies_below_criterion", "level_changes_under_proposal"}
)
# Named queries that return one agency's own rows beside aggregates of its peers (quartiles, counts,
# its rank), never a peer's row: for an agency in the scope they compare it with every agency.
PEER_QUERIES = frozenset({"peer_pct_by_category", "rank_by_agency_year"})
# A scoped person sees a peer set's median, and a rank, only among at least MIN_PEERS agencies, and
# its quartiles only among at least MIN_QUARTILE_PEERS: fewer would give the others' values away
# (queries/peer_pct_by_category.sql says how). The operator and an unscoped person see every set.
MIN_PEERS = 5
MIN_QUARTILE_PEERS = 10
_SCOPE_KEYS = {"agency_types", "groups", "agencies"}


class AccessDenied(DataError):
    """The person's role does not allow what was asked: worded for them."""


@dataclass(frozen=True)
class Scope:
    """Which agencies a person may see. None on a dimension: not limited by it; an empty tuple:
    nothing. Everything only when `everything` says so."""

    everything: bool = False
    agency_types: tuple[str, ...] | None = None
    groups: tuple[str, ...] | None = None
    agencies: tuple[str, ...] | None = None

    @property
    def is_empty(self) -> bool:
        if self.everything:
            return False
        dims = (self.agency_types, self.groups, self.agencies)
        return all(d is None for d in dims) or any(d == () for d in dims)

    def params(self) -> dict:
        """The scope as the query layer's parameters (None: not limited on that dimension)."""
        nothing = self.is_empty
        return {
            "scope_nothing": nothing,
            "scope_types": None if self.agency_types is None else list(self.agency_types),
            "scope_groups": None if self.groups is None else list(self.groups),
            "scope_agencies": None if self.agencies is None else list(self.agencies),
        }


EVERYTHING = Scope(everything=True)


@dataclass(frozen=True)
class Access:
    """A person's role and scope: part of every selection and every cache key. A signed-in person
    also carries their ID token's subject and issuer, which trace the account behind the e-mail."""

    who: str
    role: str
    scope: Scope
    subject: str | None = None
    issuer: str | None = None

    def may(self, action: str) -> bool:
        return action in ACTIONS.get(self.role, frozenset())

    def require(self, action: str) -> None:
        if not self.may(action):
            raise AccessDenied(f"{self.who} ({self.role}) may not {_WORDS.get(action, action)}")

    def require_query(self, name: str) -> None:
        if name in ROW_LEVEL_QUERIES:
            self.require("rows")


_WORDS = {
    "rows": "read an agency's criterion-level scores",
    "export": "export or download tables",
    "history": "read the store's history",
    "import": "import data",
}


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, as in some containers
        return str(os.getuid())


def operator() -> Access:
    """The person at this machine's command line, or at an app without sign-in on loopback."""
    return Access(who=os_user(), role="admin", scope=EVERYTHING)


# Nobody: no action, an empty scope. What a Store shared by the app's sessions is opened as, so that
# only `Store.scoped(person)` can show a number.
NOBODY = Access(who="nobody", role="none", scope=Scope())


def peer_params(person: Access) -> dict:
    """The peer queries' minimums for this person (see MIN_PEERS); `scoped` leaves the agency
    itself out of its peers' statistics."""
    if person.scope.everything:
        return {"scoped": False, "min_peers": 1, "min_quartile_peers": 1}
    return {"scoped": True, "min_peers": MIN_PEERS, "min_quartile_peers": MIN_QUARTILE_PEERS}


# Only A-Z are lower-cased: Unicode case folding makes "straße" of "strasse" and "K" (Kelvin sign)
# of "k", so an address that is not the rule's could match it.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def address(email) -> str | None:
    """An e-mail address as rules compare it: exactly, but for the case of ASCII letters. Anything
    else (another character, a space) stays, so such an address matches only a rule naming it."""
    if not isinstance(email, str) or not email:
        return None
    return email.translate(_ASCII_LOWER)


def verified_email(claims) -> str | None:
    """The e-mail of an ID token's claims if the provider verified it, else None. Only the boolean
    true verifies: "false", 0 or no claim at all must not let an account claim someone's address."""
    return claims.get("email") if claims.get("email_verified") is True else None


def account(claims) -> dict:
    """The ID token's subject and issuer, as Access fields: together they name the account."""
    found = {"subject": claims.get("sub"), "issuer": claims.get("iss")}
    return {key: value if isinstance(value, str) and value else None for key, value in found.items()}


@dataclass(frozen=True)
class Rule:
    """One entry of the roles file: an e-mail address or a group claim, a role, a scope."""

    match: str  # "email" or "group"
    value: str
    role: str
    scope: Scope


@dataclass(frozen=True)
class Roles:
    """The roles file: people by e-mail first, then groups of the token's group claim, in file order."""

    rules: tuple[Rule, ...]
    groups_claim: str = "groups"

    def for_person(self, email: str | None, groups=()) -> Access | None:
        """The first rule that matches; None when none does (the person has no access)."""
        email = address(email)
        groups = [groups] if isinstance(groups, str) else list(groups or ())
        for rule in self.rules:
            if rule.match == "email" and email and address(rule.value) == email:
                return Access(who=email, role=rule.role, scope=rule.scope)
        for rule in self.rules:
            if rule.match == "group" and rule.value in groups:
                return Access(who=email or f"group {rule.value}", role=rule.role, scope=rule.scope)
        return None

    def for_claims(self, claims) -> Access | None:
        """The person an ID token's claims name (an unverified address names nobody: only group
        rules can match), with the token's subject and issuer; None when no rule matches."""
        person = self.for_person(verified_email(claims), claims.get(self.groups_claim) or ())
        if person is None:
            return None
        return replace(person, **account(claims))


def load_roles(path: Path) -> Roles:
    """Read and check a roles file (TOML); every mistake is named by file and entry."""
    import tomllib  # only the app with sign-in reads one: `pmqa summary` does not pay for the parser

    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: no such roles file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable TOML file ({exc})") from None
    unknown = set(doc) - {"person", "group", "groups_claim"}
    if unknown:
        raise DataError(f"{path}: unknown key {sorted(unknown)[0]!r} (expected [[person]], [[group]], groups_claim)")
    rules = [_rule(path, "person", i, e) for i, e in enumerate(_entries(path, doc, "person"))]
    rules += [_rule(path, "group", i, e) for i, e in enumerate(_entries(path, doc, "group"))]
    claim = doc.get("groups_claim", "groups")
    if not isinstance(claim, str) or not claim:
        raise DataError(f"{path}: groups_claim must be the name of a claim")
    return Roles(tuple(rules), claim)


def _entries(path: Path, doc: dict, kind: str) -> list:
    entries = doc.get(kind, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataError(f"{path}: {kind} must be a list of tables ([[{kind}]])")
    return entries


def _rule(path: Path, kind: str, index: int, entry: dict) -> Rule:
    where = f"{path}: {kind}[{index}]"
    key = "email" if kind == "person" else "name"
    unknown = set(entry) - {key, "role", "scope"}
    if unknown:
        raise DataError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(f'{where}: needs {key} = "…"')
    if entry.get("role") not in ROLES:
        raise DataError(f"{where}: role must be one of {', '.join(ROLES)}, not {entry.get('role')!r}")
    return Rule("email" if kind == "person" else "group", value.strip(), entry["role"], _scope(where, entry))


def _scope(where: str, entry: dict) -> Scope:
    raw = entry.get("scope")
    if raw == "all":
        return EVERYTHING
    if raw is None:
        raise DataError(f'{where}: needs a scope: scope = "all", or a table of agency_types, groups, agencies')
    if not isinstance(raw, dict):
        raise DataError(f'{where}: scope must be "all" or a table of agency_types, groups, agencies')
    unknown = set(raw) - _SCOPE_KEYS
    if unknown:
        raise DataError(f"{where}: unknown scope key {sorted(unknown)[0]!r}")
    dims = {}
    for name in _SCOPE_KEYS & set(raw):
        values = raw[name]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataError(f"{where}: scope.{name} must be a list of text values")
        dims[name] = tuple(values)
    bad = [t for t in dims.get("agency_types", ()) if t not in AGENCY_TYPES]
    if bad:
        raise DataError(f"{where}: no agency type {printable(bad[0])!r}; the types are {', '.join(AGENCY_TYPES)}")
    return Scope(**dims)
