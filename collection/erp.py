"""The creditor's ERP, as the integrations layer knows it: an adapter built from a connection."""

from integrations.base import ErpAdapter, adapter_class


def adapter_for(creditor) -> ErpAdapter:
    """The adapter of the creditor's ERP, on the creditor's stored connection."""
    return adapter_class(creditor.erp_kind)(creditor.erp_connection)
