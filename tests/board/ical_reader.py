"""A small, strict reader of iCalendar text (RFC 5545) for the tests: CRLF line endings, lines
of at most 75 octets unfolded, parameters (quoted or not) and TEXT values unescaped, components
nested and closed in order. Anything else fails the test. The tests read every calendar with the
`icalendar` library as well (tests/board/test_meetings_in_outlook.py), which is lenient about
line lengths and endings."""

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"[A-Za-z0-9-]+")


@dataclass
class Component:
    name: str
    props: list[tuple[str, dict, str]] = field(default_factory=list)
    children: list["Component"] = field(default_factory=list)

    def all(self, name: str) -> list[tuple[dict, str]]:
        return [(params, value) for n, params, value in self.props if n == name]

    def get(self, name: str) -> str:
        found = self.all(name)
        assert len(found) == 1, f"{self.name} has {len(found)} {name}"
        return found[0][1]

    def params(self, name: str) -> dict:
        return self.all(name)[0][0]

    def walk(self, name: str) -> list["Component"]:
        found = [self] if self.name == name else []
        for child in self.children:
            found += child.walk(name)
        return found


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            nxt = value[i + 1]
            assert nxt in "\\;,nN", f"bad escape \\{nxt} in {value!r}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _content_line(line: str) -> tuple[str, dict, str]:
    name = _NAME.match(line)
    assert name, f"no property name in {line!r}"
    pos, params = name.end(), {}
    while line[pos] == ";":
        key = _NAME.match(line, pos + 1)
        assert key and line[key.end()] == "=", f"bad parameter in {line!r}"
        pos = key.end() + 1
        if line[pos] == '"':
            end = line.index('"', pos + 1)
            params[key.group().upper()] = line[pos + 1 : end]
            pos = end + 1
        else:
            end = pos
            while line[end] not in ";:":
                assert line[end] not in '",', f"unquoted {line[end]!r} in {line!r}"
                end += 1
            params[key.group().upper()] = line[pos:end]
            pos = end
    assert line[pos] == ":", f"no value in {line!r}"
    return name.group().upper(), params, line[pos + 1 :]


TEXT = {"SUMMARY", "LOCATION", "DESCRIPTION", "X-WR-CALNAME"}


def read(text: str) -> Component:
    assert text.endswith("\r\n"), "the last line ends with CRLF"
    unfolded: list[str] = []
    for line in text[:-2].split("\r\n"):
        assert "\r" not in line and "\n" not in line, f"bare line break in {line!r}"
        assert len(line.encode()) <= 75, f"line longer than 75 octets: {line!r}"
        if line[:1] in (" ", "\t"):
            unfolded[-1] += line[1:]
        else:
            unfolded.append(line)
    stack: list[Component] = []
    root = None
    for line in unfolded:
        name, params, value = _content_line(line)
        if name == "BEGIN":
            component = Component(value.upper())
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "one calendar"
                root = component
            stack.append(component)
        elif name == "END":
            assert stack and stack.pop().name == value.upper(), f"END:{value} out of order"
        else:
            assert stack, f"{line!r} outside any component"
            stack[-1].props.append((name, params, unescape(value) if name in TEXT else value))
    assert root is not None and not stack, "the calendar is closed"
    return root
