"""The creditor's ERP, as the integrations layer knows it: an adapter on its typed connection,
and the features it has (callers ask before they call and skip what the ERP lacks)."""

from integrations import registry
from integrations.features import ErpAdapter, Feature


def adapter_for(creditor) -> ErpAdapter:
    """The adapter of the creditor's ERP, on the creditor's stored connection."""
    return registry.connect(creditor.erp_kind, creditor.erp_connection)


def erp_has(creditor, feature: Feature) -> bool:
    """Whether the creditor's ERP has the feature (no connection needed to ask)."""
    return feature in registry.features(creditor.erp_kind)
