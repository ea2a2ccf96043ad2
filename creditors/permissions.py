"""Who may do what on a creditor: the one permission table, and the checks every portal view and
API endpoint make after the tenant check (another tenant's object is a 404 first; an action the
user's role does not allow on a creditor they can see is a 403).

    action                         creditor  creditor  firm   firm   support
                                   admin     user      admin  user   staff
    view                           yes       yes       yes    yes    yes
    answer a decision              yes       -         yes    yes    -
    pause / resume                 yes       yes       yes    yes    yes
    withdraw                       yes       -         yes    yes    -
    write off                      yes       -         yes    yes    -
    report a direct payment/credit yes       -         yes    yes    -
    change settings, payout acct   yes       -         -      -      -
    manage the creditor's users    yes       -         -      -      yes
    grant a firm user access       -         -         yes    -      yes
    revoke a firm user's access    yes       -         yes    -      yes
    create an assignment (API)     yes       -         yes    yes    -
    the support console            -         -         -      -      yes

Why:
- Decisions, withdrawals, write-offs and reporting a payment or a credit note the creditor got
  outside collection dispose of the creditor's claim (enforcement costs the
  debtor, a write-off gives the money up), so they belong to whoever acts for the creditor: its
  admin, or the accounting firm it has engaged. A creditor user (say a clerk taking the debtor's
  call) may only stop or restart the letters, e.g. when the debtor disputes the claim.
- Settings and the payout account steer money: only the creditor's own admin changes them, never
  the firm (a firm user changing where payouts go is the fraud to prevent) nor support.
  Reading the ERP's customers and classes to pick from in the import filter's settings per
  customer (collection.erp_customers, the portal and the API) goes with changing them.
- Support staff help on every tenant (they see everything and may hold a case) but never decide
  on a creditor's claim nor touch its money settings; they set up users.
- The support console (tickets across every creditor, matching payments by hand) is support
  staff's own workplace; no creditor's role reaches it.
- The firm roles are split from "manage users" so that a firm can never make itself the
  creditor's admin: the firm admin hands out access to the firm's own staff (Tripletex's
  "Klienttilgang"); the creditor admin may take any firm user off its company but does not pick
  the firm's staff.

A user may hold several roles on one creditor (a firm user who is also a member): they may do
what any of their roles allows. Nothing is cached: a role or access taken away applies on the
user's next request.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from creditors.models import Creditor, FirmMembership, Membership


class Role(StrEnum):
    CREDITOR_ADMIN = "creditor_admin"
    CREDITOR_USER = "creditor_user"
    FIRM_ADMIN = "firm_admin"
    FIRM_USER = "firm_user"
    SUPPORT = "support"


class Action(StrEnum):
    VIEW = "view"
    DECIDE = "decide"
    PAUSE = "pause_resume"
    WITHDRAW = "withdraw"
    WRITE_OFF = "write_off"
    # Tell us of a payment made to the creditor directly or of a credit note (the portal's form
    # for a creditor whose operator does not report them through our partner API).
    REPORT = "report"
    SETTINGS = "settings"
    MANAGE_USERS = "manage_users"
    GRANT_FIRM_ACCESS = "grant_firm_access"
    REVOKE_FIRM_ACCESS = "revoke_firm_access"
    # Hand invoices over for collection (the assignments API): it starts pressing the claim.
    ASSIGN = "assign"
    SUPPORT_CONSOLE = "support_console"


A = Action
_CASE_WORK = {A.VIEW, A.DECIDE, A.PAUSE, A.WITHDRAW, A.WRITE_OFF, A.REPORT}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.CREDITOR_ADMIN: frozenset(set(Action) - {A.GRANT_FIRM_ACCESS, A.SUPPORT_CONSOLE}),
    Role.CREDITOR_USER: frozenset({A.VIEW, A.PAUSE}),
    Role.FIRM_ADMIN: frozenset(_CASE_WORK | {A.ASSIGN, A.GRANT_FIRM_ACCESS, A.REVOKE_FIRM_ACCESS}),
    Role.FIRM_USER: frozenset(_CASE_WORK | {A.ASSIGN}),
    Role.SUPPORT: frozenset(
        {
            A.VIEW,
            A.PAUSE,
            A.MANAGE_USERS,
            A.GRANT_FIRM_ACCESS,
            A.REVOKE_FIRM_ACCESS,
            A.SUPPORT_CONSOLE,
        }
    ),
}


def roles_for(user, creditor: Creditor) -> frozenset[Role]:
    """The user's roles on this creditor, read from the database on every call."""
    if not user.is_authenticated:
        return frozenset()
    roles = set()
    if user.is_staff:
        roles.add(Role.SUPPORT)
    for role in Membership.objects.filter(user=user, creditor=creditor).values_list(
        "role", flat=True
    ):
        roles.add(Role.CREDITOR_ADMIN if role == Membership.Role.ADMIN else Role.CREDITOR_USER)
    if creditor.accounting_firm_id is not None:
        # A firm role counts only with access to this client (the firm admin too: a creditor
        # admin who took the firm admin off the company has taken them off).
        firm_roles = FirmMembership.objects.filter(
            user=user,
            firm_id=creditor.accounting_firm_id,
            client_access__creditor=creditor,
        ).values_list("role", flat=True)
        for role in firm_roles:
            roles.add(Role.FIRM_ADMIN if role == FirmMembership.Role.ADMIN else Role.FIRM_USER)
    return frozenset(roles)


def allowed_actions(user, creditor: Creditor) -> frozenset[Action]:
    return frozenset().union(*(PERMISSIONS[r] for r in roles_for(user, creditor)))


def can(user, creditor: Creditor, action: Action) -> bool:
    return action in allowed_actions(user, creditor)


def can_map(user, creditor: Creditor) -> dict[str, bool]:
    """For templates: {"decide": True, "write_off": False, ...} by the action's name."""
    allowed = allowed_actions(user, creditor)
    return {action.name.lower(): action in allowed for action in Action}


def require(user, creditor: Creditor, action: Action) -> None:
    """403 (Django's and DRF's PermissionDenied) unless the user's roles allow the action."""
    if not can(user, creditor, action):
        raise PermissionDenied(f"your role on {creditor} does not allow: {action.value}")


def require_support(user) -> None:
    """403 unless the user is support staff: the console is not about one creditor, so no
    creditor's roles count (Role.SUPPORT is what is_staff gives)."""
    if not (user.is_authenticated and user.is_staff):
        raise PermissionDenied("the support console is for support staff")
