"""Record kinds owned by syndication: ``share`` (see docs/import-format.md)."""

from cong.core.records import F, RecordError, RecordKind, register

from .models import ChannelKind, Share
from .services import portal_of_page


@register
class ShareKind(RecordKind):
    kind = "share"
    model = Share
    order = 60
    fields = (
        F("content", "ref", required=True, ref="content"),
        F("channel", "enum", required=True, choices=tuple(ChannelKind.values)),
        F("shared_at", "datetime", required=True),
        F("external_url", "url"),
    )

    def write(self, data, ctx, instance):
        item = ctx.resolve("content", data["content"], field="content")
        portal = portal_of_page(item)
        if portal is None:
            raise RecordError("content", "thông tin không thuộc cổng nào")
        share = instance or Share()
        share.portal = portal
        share.item_id = item.pk
        share.channel_kind = data["channel"]
        share.shared_at = data["shared_at"]
        share.external_url = data["external_url"] or ""
        share.save()
        return share
