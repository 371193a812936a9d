"""The server side of the cadre picker (templates/cadres/_cadre_picker.html) for the
forms of any app that choose one cadre: a visit, a need, an attendance, an honour."""

from django.shortcuts import get_object_or_404

from accounts.params import parse_id


def preset_cadre(request, cadres, initial: dict):
    """The cadre a form starts with (``?cadre=`` from a cadre's page): one of
    ``cadres`` (the user's), or 404; none when the parameter is not an id."""
    pk = parse_id(request.GET.get("cadre"))
    if pk is None:
        return None
    preset = get_object_or_404(cadres, pk=pk)
    initial["cadre"] = preset
    return preset


def chosen_cadre(form, cadres):
    """The cadre picked in a form that is shown again, so the picker shows the name."""
    if form is None or not form.is_bound:
        return None
    chosen = parse_id(str(form["cadre"].value()))
    if chosen is None:
        return None
    return cadres.select_related("unit").filter(pk=chosen).first()
