"""The Qt-free core: data, networks, losses, training and sessions. Never imports Qt."""
