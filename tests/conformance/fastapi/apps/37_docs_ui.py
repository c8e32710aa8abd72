"""Swagger UI configuration: swagger_ui_parameters (merged over FastAPI's defaults, which a
parameter can override) and swagger_ui_init_oauth (ui.initOAuth), with an OAuth2
authorization-code scheme to use them on; the OAuth2 redirect page at a custom address."""
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2AuthorizationCodeBearer

app = FastAPI(
    title="Docs UI",
    swagger_ui_parameters={
        "syntaxHighlight": False,
        "deepLinking": False,
        "defaultModelsExpandDepth": -1,
        "docExpansion": "none",
        "filter": "pets",
    },
    swagger_ui_init_oauth={
        "clientId": "docs-client",
        "appName": "Docs UI </script>",
        "usePkceWithAuthorizationCodeGrant": True,
        "scopes": "read write",
    },
    swagger_ui_oauth2_redirect_url="/oauth/callback",
)

oauth2 = OAuth2AuthorizationCodeBearer(
    authorizationUrl="https://auth.example.com/authorize",
    tokenUrl="https://auth.example.com/token",
    scopes={"read": "Read pets", "write": "Write pets"},
)


@app.get("/pets/")
async def list_pets(token: str = Depends(oauth2)):
    return [{"name": "Rex"}]
