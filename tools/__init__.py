"""Small command-line tools behind the Make targets of Executable PyTorch."""
