"""URLs of the working relationship, under /persons/<person_id>/."""

app_name = "relationship"

urlpatterns: list[object] = []
