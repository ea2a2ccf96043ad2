"""Nordic money and payment rules as plain Python (no Django): usable from models, services,
ERP mappings and bank files alike."""
