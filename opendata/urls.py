from django.urls import URLPattern, URLResolver, path, re_path

from opendata.views import api, catalogue, ogc

app_name = "opendata"

urlpatterns: list[URLPattern | URLResolver] = [
    path("opendata/", catalogue.catalogue, name="catalogue"),
    path("opendata/catalog.jsonld", catalogue.catalogue_jsonld, name="catalogue-jsonld"),
    path("opendata/catalog.ttl", catalogue.catalogue_turtle, name="catalogue-turtle"),
    path("opendata/cle-api/", catalogue.api_key_request, name="api-key"),
    path("opendata/<slug:slug>/", catalogue.dataset_page, name="dataset"),
    path("api/v1/datasets/", api.DatasetListView.as_view(), name="api-list"),
    path("api/v1/datasets/<str:slug>/", api.DatasetDetailView.as_view(), name="api-detail"),
    path("api/v1/datasets/<str:slug>/records/", api.RecordsView.as_view(), name="api-records"),
    path("api/v1/datasets/<str:slug>/geojson/", api.GeoJsonView.as_view(), name="api-geojson"),
    path("api/v1/datasets/<str:slug>/csv/", api.CsvView.as_view(), name="api-csv"),
    path("api/v1/datasets/<str:slug>/schema/", api.TableSchemaView.as_view(), name="api-schema"),
    path("ogcapi/", ogc.LandingView.as_view(), name="ogc-landing"),
    path("ogcapi/conformance", ogc.ConformanceView.as_view(), name="ogc-conformance"),
    path("ogcapi/collections", ogc.CollectionsView.as_view(), name="ogc-collections"),
    path("ogcapi/collections/<str:slug>", ogc.CollectionView.as_view(), name="ogc-collection"),
    path("ogcapi/collections/<str:slug>/items", ogc.ItemsView.as_view(), name="ogc-items"),
    path(
        "ogcapi/collections/<str:slug>/items/<str:feature_id>",
        ogc.ItemView.as_view(),
        name="ogc-item",
    ),
    re_path(r"^ogcapi/(?P<rest>.+)$", ogc.NotFoundView.as_view(), name="ogc-not-found"),
]
