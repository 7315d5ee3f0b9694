"""The modules of tools/vmxroot-status: layout (the table of docs/status-page.md), decode, sources,
output, watch. Standard library only; copy tools/vmxroot-status with this folder into a guest."""
