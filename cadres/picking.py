"""The server side of the cadre picker (templates/cadres/_cadre_picker.html) for the
forms of any app that choose one cadre: a visit, a need, an attendance, an honour."""

from django.shortcuts import get_object_or_404


def preset_cadre(request, cadres, initial: dict):
    """The cadre a form starts with (``?cadre=`` from a cadre's page): one of
    ``cadres`` (the user's), or 404."""
    if not request.GET.get("cadre"):
        return None
    preset = get_object_or_404(cadres, pk=request.GET["cadre"])
    initial["cadre"] = preset
    return preset


def chosen_cadre(form, cadres):
    """The cadre picked in a form that is shown again, so the picker shows the name."""
    if form is None or not form.is_bound:
        return None
    chosen = form["cadre"].value()
    if not str(chosen or "").isdigit():
        return None
    return cadres.select_related("unit").filter(pk=chosen).first()
