"""The Qt desktop app. Only this package (and tests) import Qt."""
