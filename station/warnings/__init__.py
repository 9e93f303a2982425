"""Natural-disaster warnings (Quyết định 18/2021/QĐ-TTg): hazards and risk levels (`hazards`), the texts a
leader fills in (`texts`), the warning's life and its re-airing cycle (`service`), CAP 1.2 import (`cap`)."""
