from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

RICH_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class FigureBlock(blocks.StructBlock):
    """An image with its caption. Alt text is required (WCAG 2.1 1.1.1)."""

    image = ImageBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=500)

    class Meta:
        icon = "image"
        label = _("Ảnh có chú thích")
        template = "content/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Trích dẫn"))
    attribution = blocks.CharBlock(label=_("Người nói / nguồn"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Trích dẫn")
        template = "content/blocks/quote.html"


class VideoEmbedBlock(blocks.StructBlock):
    """An external video that loads only after the reader asks for it."""

    embed = EmbedBlock(label=_("Địa chỉ video (YouTube…)"))
    title = blocks.CharBlock(label=_("Tiêu đề video"), max_length=255)

    class Meta:
        icon = "media"
        label = _("Video nhúng")
        template = "content/blocks/video_embed.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Tệp"))
    title = blocks.CharBlock(label=_("Tên hiển thị"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Tệp đính kèm")
        template = "content/blocks/attachment.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Đoạn văn"), features=RICH_FEATURES)
    figure = FigureBlock()
    quote = QuoteBlock()
    table = TableBlock(label=_("Bảng"), table_options={"renderer": "text"})
    video = VideoEmbedBlock()
    attachment = AttachmentBlock()

    class Meta:
        label = _("Nội dung")
