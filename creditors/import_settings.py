"""The creditor admin's import settings beyond the filter itself: amounts per currency and
settings per customer or customer class (creditors.import_filter reads them). Each change is
the creditor admin's (permission SETTINGS) and writes its audit row in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from creditors import permissions
from creditors.models import Creditor, ImportFilter, ImportFilterAmount, ImportFilterOverride
from creditors.services import SettingsError, audit_add

OVERRIDE_FIELDS = ("excluded", "days_after_due", "min_amount", "max_amount")
AMOUNT_FIELDS = ("min_amount", "max_amount")


def _checked(obj, exclude=()):
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False, validate_unique=False)
    except ValidationError as exc:
        raise SettingsError("; ".join(exc.messages)) from exc
    return obj


def _describe(obj, names) -> str:
    return ", ".join(f"{n}={getattr(obj, n)}" for n in names)


def _setting_change(obj, changes: dict, *, creditor, actor, action, subject, fields, exclude):
    """Change one setting, check it and, when its fields changed, save it with its audit row:
    old and new as "<subject>: name=value, ..." (no old for a new setting)."""
    before = "" if obj.pk is None else _describe(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    _checked(obj, exclude=exclude)
    after = _describe(obj, fields)
    if after != before:
        obj.save()
        audit_add(
            creditor=creditor,
            actor=actor,
            action=action,
            old=f"{subject}: {before}" if before else "",
            new=f"{subject}: {after}",
        )
    return obj


def _setting_remove(obj, *, creditor, actor, action, subject, fields) -> None:
    old = f"{subject}: {_describe(obj, fields)}"
    obj.delete()
    audit_add(creditor=creditor, actor=actor, action=action, old=old, new="")


@transaction.atomic
def import_override_set(
    *, creditor: Creditor, actor, customer_erp_id: str = "", customer_class: str = "", **settings
) -> ImportFilterOverride:
    """Create or change the settings of one customer (by its ERP id) or one customer class."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    unknown = set(settings) - set(OVERRIDE_FIELDS)
    if unknown:
        raise SettingsError(f"not a setting: {', '.join(sorted(unknown))}")
    customer_erp_id, customer_class = str(customer_erp_id).strip(), str(customer_class).strip()
    key = {"customer_erp_id": customer_erp_id, "customer_class": customer_class}
    override = (
        ImportFilterOverride.objects.for_creditor(creditor).select_for_update().filter(**key)
    ).first() or ImportFilterOverride(creditor=creditor, **key)
    return _setting_change(
        override,
        settings,
        creditor=creditor,
        actor=actor,
        action="import_override",
        subject=override.subject,
        fields=OVERRIDE_FIELDS,
        exclude=["creditor"],
    )


@transaction.atomic
def import_override_remove(*, creditor: Creditor, actor, override_id) -> None:
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    override = ImportFilterOverride.objects.for_creditor(creditor).get(pk=override_id)
    _setting_remove(
        override,
        creditor=creditor,
        actor=actor,
        action="import_override",
        subject=override.subject,
        fields=OVERRIDE_FIELDS,
    )


@transaction.atomic
def import_amount_set(
    *, creditor: Creditor, actor, currency: str, min_amount, max_amount=None
) -> ImportFilterAmount:
    """The least and most outstanding amount imported in one currency."""
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    rules = ImportFilter.objects.get_or_create(creditor=creditor)[0]
    currency = str(currency).strip().upper()
    amount = (
        ImportFilterAmount.objects.select_for_update()
        .filter(import_filter=rules, currency=currency)
        .first()
    ) or ImportFilterAmount(import_filter=rules, currency=currency)
    return _setting_change(
        amount,
        {"min_amount": min_amount, "max_amount": max_amount},
        creditor=creditor,
        actor=actor,
        action="import_amount",
        subject=currency,
        fields=AMOUNT_FIELDS,
        exclude=["import_filter"],
    )


@transaction.atomic
def import_amount_remove(*, creditor: Creditor, actor, currency: str) -> None:
    permissions.require(actor, creditor, permissions.Action.SETTINGS)
    amount = ImportFilterAmount.objects.get(
        import_filter__creditor=creditor, currency=str(currency).strip().upper()
    )
    _setting_remove(
        amount,
        creditor=creditor,
        actor=actor,
        action="import_amount",
        subject=amount.currency,
        fields=AMOUNT_FIELDS,
    )
