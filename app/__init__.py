"""The shell: the command line and the Qt desktop app, both thin over the layers below."""
