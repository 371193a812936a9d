"""体检: yearly checkup campaigns and each cadre's checkup."""
