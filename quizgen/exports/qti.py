"""Canvas: a QTI 1.2 package as Canvas imports it (the layout text2qti and R/exams'
exams2canvas write): imsmanifest.xml, the assessment `<id>/<id>.xml` with one
multiple_choice_question item per question, and Canvas's `<id>/assessment_meta.xml`."""

from __future__ import annotations

import hashlib
import html
import xml.etree.ElementTree as ET

from ..fsutil import zip_bytes
from . import option_lang, questions, text

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"


def ident(*parts: str) -> str:
    """A stable identifier: the same quiz gives the same package."""
    return "g" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def _mattext(parent: ET.Element, value: str) -> None:
    material = ET.SubElement(parent, "material")
    ET.SubElement(material, "mattext", {"texttype": "text/html"}).text = \
        f"<p>{html.escape(value)}</p>"


def _field(parent: ET.Element, label: str, entry: str) -> None:
    field = ET.SubElement(parent, "qtimetadatafield")
    ET.SubElement(field, "fieldlabel").text = label
    ET.SubElement(field, "fieldentry").text = entry


def assessment(data: dict, quiz_id: str) -> ET.Element:
    lang = data["settings"]["lang"]
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    test = ET.SubElement(root, "assessment", {"ident": quiz_id,
                                              "title": text(data["deck"]["title"], lang)})
    metadata = ET.SubElement(test, "qtimetadata")
    _field(metadata, "cc_maxattempts", "1")
    section = ET.SubElement(test, "section", {"ident": "root_section"})
    for q in questions(data):
        item_id = ident(quiz_id, q["id"])
        answer_ids = [ident(item_id, str(i)) for i in range(len(q["options"]))]
        item = ET.SubElement(section, "item", {"ident": item_id,
                                               "title": f"{q['number']} {q['id']}"})
        item_meta = ET.SubElement(ET.SubElement(item, "itemmetadata"), "qtimetadata")
        _field(item_meta, "question_type", "multiple_choice_question")
        _field(item_meta, "points_possible", "1.0")
        _field(item_meta, "original_answer_ids", ",".join(answer_ids))
        _field(item_meta, "assessment_question_identifierref", ident(item_id, "question"))
        presentation = ET.SubElement(item, "presentation")
        _mattext(presentation, text(q["stem"], lang))
        response = ET.SubElement(presentation, "response_lid",
                                 {"ident": "response1", "rcardinality": "Single"})
        choices = ET.SubElement(response, "render_choice")
        for answer_id, option in zip(answer_ids, q["options"]):
            label = ET.SubElement(choices, "response_label", {"ident": answer_id})
            _mattext(label, text(option, option_lang(q, lang)))
        processing = ET.SubElement(item, "resprocessing")
        ET.SubElement(ET.SubElement(processing, "outcomes"), "decvar", {
            "maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"})
        feedback = ET.SubElement(processing, "respcondition", {"continue": "Yes"})
        ET.SubElement(feedback, "conditionvar").append(ET.Element("other"))
        ET.SubElement(feedback, "displayfeedback", {"feedbacktype": "Response",
                                                    "linkrefid": "general_fb"})
        right = ET.SubElement(processing, "respcondition", {"continue": "No"})
        ET.SubElement(ET.SubElement(right, "conditionvar"), "varequal",
                      {"respident": "response1"}).text = answer_ids[q["answer"]]
        ET.SubElement(right, "setvar", {"action": "Set", "varname": "SCORE"}).text = "100"
        general = ET.SubElement(item, "itemfeedback", {"ident": "general_fb"})
        _mattext(ET.SubElement(general, "flow_mat"), text(q["explanation"], lang))
    return root


def meta(data: dict, quiz_id: str) -> ET.Element:
    lang = data["settings"]["lang"]
    root = ET.Element("quiz", {"identifier": quiz_id, "xmlns": CANVAS_NS})
    for tag, value in (("title", text(data["deck"]["title"], lang)), ("description", ""),
                       ("shuffle_answers", "false"), ("scoring_policy", "keep_highest"),
                       ("quiz_type", "assignment"), ("allowed_attempts", "1"),
                       ("points_possible", f"{len(questions(data)):.1f}")):
        ET.SubElement(root, tag).text = value
    return root


def manifest(data: dict, quiz_id: str) -> ET.Element:
    lang = data["settings"]["lang"]
    root = ET.Element("manifest", {"identifier": ident(quiz_id, "manifest"), "xmlns": CP_NS})
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "IMS Content"
    ET.SubElement(metadata, "schemaversion").text = "1.1.3"
    ET.SubElement(metadata, "title").text = text(data["deck"]["title"], lang)
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    meta_id = ident(quiz_id, "meta")
    quiz = ET.SubElement(resources, "resource", {"identifier": quiz_id,
                                                 "type": "imsqti_xmlv1p2"})
    ET.SubElement(quiz, "file", {"href": f"{quiz_id}/{quiz_id}.xml"})
    ET.SubElement(quiz, "dependency", {"identifierref": meta_id})
    meta_resource = ET.SubElement(resources, "resource", {
        "identifier": meta_id,
        "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
        "href": f"{quiz_id}/assessment_meta.xml"})
    ET.SubElement(meta_resource, "file", {"href": f"{quiz_id}/assessment_meta.xml"})
    return root


def export(data: dict) -> tuple[bytes, list[str]]:
    quiz_id = ident("quizgen", data["deck"]["id"])
    files = {"imsmanifest.xml": _xml(manifest(data, quiz_id)),
             f"{quiz_id}/{quiz_id}.xml": _xml(assessment(data, quiz_id)),
             f"{quiz_id}/assessment_meta.xml": _xml(meta(data, quiz_id))}
    return zip_bytes(files), []
