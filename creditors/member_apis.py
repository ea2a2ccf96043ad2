"""The REST API for who reaches a creditor: its users, its accounting firm's users' access and its
API keys; the same tenant check (404), permission table (403) and services as the portal pages."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from creditors import apikeys, members, selectors
from creditors.access import creditor_for_action
from creditors.apierrors import refused
from creditors.models import ApiKey, FirmMembership, Membership
from creditors.permissions import Action

USERS_OUT = inline_serializer(
    "CreditorUsers",
    {
        "members": serializers.ListField(child=serializers.DictField()),
        "firm_members": serializers.ListField(child=serializers.DictField()),
    },
)


class UsersApi(APIView):
    """GET the creditor's users and the firm's users (with access or not); POST add a user."""

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField()
        role = serializers.ChoiceField(choices=Membership.Role.choices)

    @extend_schema(responses=USERS_OUT)
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.VIEW)
        return Response(
            {
                "members": [
                    {"id": m.pk, "username": m.user.get_username(), "role": m.role}
                    for m in selectors.members(creditor=creditor)
                ],
                "firm_members": [
                    {
                        "id": f.pk,
                        "username": f.user.get_username(),
                        "role": f.role,
                        "has_access": f.has_access,
                    }
                    for f in selectors.firm_members(creditor=creditor)
                ],
            }
        )

    @extend_schema(request=InputSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.MANAGE_USERS)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = selectors.user_by_username(data.validated_data["username"])
        if user is None:
            return refused(ValueError("no user with that username"))
        try:
            membership = members.membership_add(
                creditor=creditor, actor=request.user, user=user, role=data.validated_data["role"]
            )
        except ValueError as exc:
            return refused(exc)
        return Response(
            {"id": membership.pk, "username": user.get_username(), "role": membership.role},
            status=status.HTTP_201_CREATED,
        )


class UserApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, creditor_id, membership_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.MANAGE_USERS)
        try:
            membership = selectors.membership_get(creditor=creditor, membership_id=membership_id)
        except Membership.DoesNotExist:
            raise Http404 from None
        try:
            members.membership_remove(creditor=creditor, actor=request.user, membership=membership)
        except ValueError as exc:
            return refused(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FirmAccessApi(APIView):
    """PUT grants, DELETE revokes one accounting-firm user's access to this creditor."""

    def _member(self, creditor, firm_membership_id):
        try:
            return selectors.firm_member_get(
                creditor=creditor, firm_membership_id=firm_membership_id
            )
        except FirmMembership.DoesNotExist:
            raise Http404 from None

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def put(self, request, creditor_id, firm_membership_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.GRANT_FIRM_ACCESS)
        firm_member = self._member(creditor, firm_membership_id)
        members.firm_access_grant(
            creditor=creditor, actor=request.user, firm_membership=firm_member
        )
        return Response({"id": firm_member.pk, "has_access": True})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, creditor_id, firm_membership_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.REVOKE_FIRM_ACCESS)
        firm_member = self._member(creditor, firm_membership_id)
        members.firm_access_revoke(
            creditor=creditor, actor=request.user, firm_membership=firm_member
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "role", "created_at", "last_used_at", "revoked_at"]


class ApiKeysApi(APIView):
    """GET the creditor's API keys (never the keys themselves); POST creates one (its admin):
    the answer carries the key, shown this once."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        role = serializers.ChoiceField(choices=Membership.Role.choices)

    class CreatedSerializer(ApiKeySerializer):
        key = serializers.CharField()

        class Meta(ApiKeySerializer.Meta):
            fields = [*ApiKeySerializer.Meta.fields, "key"]

    @extend_schema(responses=ApiKeySerializer(many=True))
    def get(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        return Response(ApiKeySerializer(apikeys.api_keys(creditor=creditor), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: CreatedSerializer})
    def post(self, request, creditor_id):
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        api_key, key = apikeys.api_key_create(
            creditor=creditor, actor=request.user, **data.validated_data
        )
        return Response(
            {**ApiKeySerializer(api_key).data, "key": key}, status=status.HTTP_201_CREATED
        )


class ApiKeyApi(APIView):
    @extend_schema(request=None, responses=ApiKeySerializer)
    def delete(self, request, creditor_id, key_id):
        """Revoke the key: its next request is refused."""
        creditor = creditor_for_action(request.user, creditor_id, Action.SETTINGS)
        try:
            api_key = apikeys.api_key_get(creditor=creditor, key_id=key_id)
        except ApiKey.DoesNotExist:
            raise Http404("No such API key") from None
        api_key = apikeys.api_key_revoke(creditor=creditor, actor=request.user, api_key=api_key)
        return Response(ApiKeySerializer(api_key).data)
