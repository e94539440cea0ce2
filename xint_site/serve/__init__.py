"""``xint-site serve``: the same build, watched, served on loopback, reloading open pages."""
