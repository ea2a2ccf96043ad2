"""Creditor.erp_kind offers exactly the ERPs integrations/ has an adapter for.

creditors/ may not import integrations/ (import-linter), so the choices stay on the model and
this layer, which sees both, checks that they agree: an ERP added to one and not the other fails
`manage.py check` (and so the test run and the deploy) instead of a nightly sync.
"""

from django.core import checks

from integrations import registry


@checks.register(checks.Tags.models)
def erp_kinds_match_the_registry(app_configs=None, **kwargs):
    from creditors.models import Creditor

    model = dict(Creditor.ErpKind.choices)
    ours = dict(registry.choices())
    if model == ours:
        return []
    return [
        checks.Error(
            f"Creditor.erp_kind choices {sorted(model.items())} differ from the ERP registry "
            f"{sorted(ours.items())}",
            hint="Add the ERP to integrations.registry and to Creditor.ErpKind (with its "
            "migration), or remove it from both.",
            obj=Creditor,
            id="collection.E001",
        )
    ]
