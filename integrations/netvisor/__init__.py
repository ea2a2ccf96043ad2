"""Netvisor (XML API, `.nv` resources). So far only what the shared HTTP base needs to speak to
it: the MAC that signs each request (auth) and the FAILED envelope inside a 200 (envelope).
The client, mapping, adapter and emulator come with the Netvisor issue."""
