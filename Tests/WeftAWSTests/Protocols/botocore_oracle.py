"""botocore as the oracle for Weft's AWS protocol tests.

Usage: python3 botocore_oracle.py serialize|parse|sample < cases.jsonl > results.jsonl

serialize: each line {"service", "operation", "params", "protocol"} -> {"method", "path", "query"
  (list of [name, value]), "headers" (list of [name, value]), "body" (text), "bodyBase64", "hostPrefix"}
  or {"error": text}.
parse: each line {"service", "operation", "protocol", "status", "headers" ({name: value}), "body"
  (text)} -> {"output": JSON} or {"error": {"code", "message", "requestId"}}. ResponseMetadata is
  dropped; datetimes become ISO 8601 UTC text ("2026-11-29T06:04:15Z", fraction digits without
  trailing zeros); bytes become base64.
sample: each line {"service", "operation", "depth"} -> {"params": ...} built from the input shape.
paginate: each line {"service", "operation", "params", "pages"} -> {"inputs" (what botocore sent for
  each page), "items" (the result keys' items)} with "stopped" when botocore refused a repeated token.
sample_response: each line {"service", "operation", "protocol"} -> {"status", "headers", "body"}: a
  response carrying type-correct values for the output shape, in the protocol's wire format.
waiter: each line {"service", "waiter", "output" | "error", "status"} -> {"state": first matching
  acceptor's state, "failure" for an unmatched error, or null}.
"""

import base64
import datetime
import json
import sys
from urllib.parse import parse_qsl

import botocore.session
from botocore import parsers, serialize
from botocore.awsrequest import HeadersDict
from botocore.model import ServiceModel

_session = botocore.session.get_session()
_loader = _session.get_component('data_loader')
_models = {}


def model(service):
    if service not in _models:
        _models[service] = ServiceModel(_loader.load_service_model(service, 'service-2'), service)
    return _models[service]


def to_json(value):
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.timezone.utc)
        text = value.strftime('%Y-%m-%dT%H:%M:%S')
        if value.microsecond:
            text += ('.%06d' % value.microsecond).rstrip('0')
        return text + 'Z'
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value


def do_serialize(case):
    service_model = model(case['service'])
    operation = service_model.operation_model(case['operation'])
    serializer = serialize.create_serializer(case['protocol'], include_validation=False)
    params = case.get('params') or {}
    if case['service'] == 'route53':
        from botocore.handlers import fix_route53_ids
        fix_route53_ids(params, operation)
    request = serializer.serialize_to_request(params, operation)
    path = request['url_path']
    query = []
    if '?' in path:
        path, static = path.split('?', 1)
        query = [[k, v] for k, v in parse_qsl(static, keep_blank_values=True)]
    qs = request['query_string']
    if isinstance(qs, dict):
        for key, value in qs.items():
            if isinstance(value, list):
                query.extend([key, str(v)] for v in value)
            else:
                query.append([key, str(value)])
    body = request['body']
    if isinstance(body, dict):
        params = [(k.encode() if isinstance(k, str) else k, v.encode() if isinstance(v, str) else str(v).encode())
                  for k, v in body.items()]
        from urllib.parse import urlencode
        body = urlencode(params, doseq=True).encode()
    if isinstance(body, str):
        body = body.encode()
    return {
        'method': request['method'],
        'path': path,
        'query': query,
        'headers': [[k, str(v)] for k, v in request['headers'].items()],
        'body': body.decode('utf-8', 'replace'),
        'bodyBase64': base64.b64encode(body).decode(),
        'hostPrefix': request.get('host_prefix'),
    }


def do_parse(case):
    service_model = model(case['service'])
    operation = service_model.operation_model(case['operation'])
    parser = parsers.create_parser(case['protocol'])
    headers = HeadersDict(case.get('headers') or {})
    response = {'status_code': case['status'], 'headers': headers, 'body': case.get('body', '').encode()}
    output_shape = operation.output_shape
    parsed = parser.parse(response, output_shape)
    if case['status'] >= 301:
        error = parsed.get('Error', {})
        metadata = parsed.get('ResponseMetadata', {})
        return {'error': {'code': error.get('Code', ''), 'message': error.get('Message', ''),
                          'requestId': metadata.get('RequestId')}}
    parsed.pop('ResponseMetadata', None)
    if output_shape is not None:
        payload = output_shape.serialization.get('payload')
        if payload and output_shape.members[payload].type_name == 'blob' and isinstance(parsed.get(payload), str):
            parsed[payload] = base64.b64encode(parsed[payload].encode()).decode()
    return {'output': to_json(parsed)}


class Sampler:
    """Type-correct parameters for every member of an input shape, to a bounded depth."""

    def __init__(self, depth):
        self.depth = depth
        self.counter = 0

    def value(self, shape, depth, name):
        self.counter += 1
        kind = shape.type_name
        if kind == 'structure':
            if depth >= self.depth or shape.is_document_type:
                return None
            result = {}
            members = shape.members
            if shape.is_tagged_union:
                members = dict(list(members.items())[:1])
            for member_name, member in members.items():
                if member.serialization.get('eventstream'):
                    continue
                value = self.value(member, depth + 1, member_name)
                if value is not None:
                    result[member_name] = value
            if shape.is_tagged_union and not result:
                return None
            return result
        if kind == 'list':
            if depth >= self.depth:
                return None
            item = self.value(shape.member, depth + 1, name)
            if item is None:
                return None
            second = self.value(shape.member, depth + 1, name)
            return [item, second] if second is not None else [item]
        if kind == 'map':
            if depth >= self.depth:
                return None
            value = self.value(shape.value, depth + 1, name)
            if value is None:
                return None
            key = shape.key.enum[0] if shape.key.enum else 'key-%d' % self.counter
            return {key: value, 'second key': value}
        if kind == 'string':
            if shape.enum:
                return shape.enum[self.counter % len(shape.enum)]
            if shape.serialization.get('hostLabel'):
                return 'label%d' % self.counter
            if 'jsonvalue' in shape.serialization:
                return {'a': [1, 'b']}
            return '%s value/%d ~&=+ é' % (name, self.counter)
        if kind in ('integer', 'long'):
            return 3 + self.counter % 7
        if kind in ('float', 'double'):
            return 1.5 + self.counter % 3
        if kind == 'boolean':
            return self.counter % 2 == 0
        if kind == 'timestamp':
            return '2026-11-29T06:04:%02d.%06dZ' % (self.counter % 60, (self.counter * 12345) % 1000000 if self.counter % 3 else 0)
        if kind == 'blob':
            return 'blob-%d \x01 bytes' % self.counter
        return None


def do_sample(case):
    operation = model(case['service']).operation_model(case['operation'])
    if operation.input_shape is None:
        return {'params': {}}
    sampler = Sampler(case.get('depth', 4))
    return {'params': sampler.value(operation.input_shape, 0, 'input') or {}}


def do_paginate(case):
    from botocore.paginate import Paginator
    config = _loader.load_service_model(case['service'], 'paginators-1')['pagination'][case['operation']]
    pages = list(case['pages'])
    inputs = []

    def method(**kwargs):
        inputs.append(kwargs)
        return pages.pop(0) if pages else {}

    operation = model(case['service']).operation_model(case['operation'])
    iterator = Paginator(method, config, operation).paginate(**case.get('params', {}))
    items = []
    try:
        for page in iterator:
            for key in iterator.result_keys:
                found = key.search(page)
                if isinstance(found, list):
                    items.extend(v for v in found if v is not None)
                elif found is not None:
                    items.append(found)
    except Exception as error:  # noqa: BLE001 - a repeated token ends paging with an error in botocore
        return {'inputs': inputs, 'items': items, 'stopped': type(error).__name__}
    return {'inputs': inputs, 'items': items}


def do_waiter(case):
    from botocore.waiter import SingleWaiterConfig
    config = _loader.load_service_model(case['service'], 'waiters-2')['waiters'][case['waiter']]
    waiter = SingleWaiterConfig(config)
    if 'error' in case:
        response = {'Error': {'Code': case['error'], 'Message': ''},
                    'ResponseMetadata': {'HTTPStatusCode': case.get('status', 400)}}
    else:
        response = dict(case['output'])
        response['ResponseMetadata'] = {'HTTPStatusCode': case.get('status', 200)}
    for acceptor in waiter.acceptors:
        if acceptor.matcher_func(response):
            return {'state': acceptor.state}
    return {'state': 'failure' if 'Error' in response else None}


def _xml_escape(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def _scalar_text(shape, value, location=None):
    kind = shape.type_name
    if kind == 'boolean':
        return 'true' if value else 'false'
    if kind == 'timestamp':
        parsed = datetime.datetime.strptime(value[:19], '%Y-%m-%dT%H:%M:%S').replace(tzinfo=datetime.timezone.utc)
        fmt = shape.serialization.get('timestampFormat') or ('rfc822' if location == 'header' else 'iso8601')
        if fmt == 'rfc822':
            from email.utils import formatdate
            return formatdate(parsed.timestamp(), usegmt=True)
        if fmt == 'unixTimestamp':
            return str(int(parsed.timestamp()))
        return value
    if kind == 'blob':
        return base64.b64encode(value.encode()).decode()
    if kind == 'string' and shape.serialization.get('jsonvalue'):
        return base64.b64encode(json.dumps(value).encode()).decode()
    return str(value)


def _xml(shape, value, name):
    kind = shape.type_name
    if kind == 'structure':
        attributes = ''
        children = []
        for member_name, member in shape.members.items():
            if member_name not in value or member.serialization.get('location'):
                continue
            if member.serialization.get('xmlAttribute'):
                attributes += ' %s="%s"' % (member.serialization['name'], _xml_escape(str(value[member_name])))
                continue
            xml_name = member.serialization.get('name', member_name)
            if member.type_name == 'list' and member.serialization.get('flattened'):
                xml_name = member.member.serialization.get('name') or xml_name
            children.append(_xml(member, value[member_name], xml_name))
        if any(m.serialization.get('xmlAttribute') for m in shape.members.values()):
            attributes = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' + attributes
        return '<%s%s>%s</%s>' % (name, attributes, ''.join(children), name)
    if kind == 'list':
        if shape.serialization.get('flattened'):
            return ''.join(_xml(shape.member, item, name) for item in value)
        item_name = shape.member.serialization.get('name', 'member')
        return '<%s>%s</%s>' % (name, ''.join(_xml(shape.member, item, item_name) for item in value), name)
    if kind == 'map':
        key_name = shape.key.serialization.get('name') or 'key'
        value_name = shape.value.serialization.get('name') or 'value'
        entries = ['%s%s' % (_xml(shape.key, k, key_name), _xml(shape.value, v, value_name)) for k, v in value.items()]
        if shape.serialization.get('flattened'):
            return ''.join('<%s>%s</%s>' % (name, e, name) for e in entries)
        return '<%s>%s</%s>' % (name, ''.join('<entry>%s</entry>' % e for e in entries), name)
    return '<%s>%s</%s>' % (name, _xml_escape(_scalar_text(shape, value)), name)


def _json(shape, value):
    kind = shape.type_name
    if kind == 'structure':
        return {m.serialization.get('name', n): _json(m, value[n]) for n, m in shape.members.items()
                if n in value and not m.serialization.get('location')}
    if kind == 'list':
        return [_json(shape.member, item) for item in value]
    if kind == 'map':
        return {k: _json(shape.value, v) for k, v in value.items()}
    if kind == 'timestamp':
        parsed = datetime.datetime.strptime(value, '%Y-%m-%dT%H:%M:%S.%fZ' if '.' in value else '%Y-%m-%dT%H:%M:%SZ')
        return parsed.replace(tzinfo=datetime.timezone.utc).timestamp()
    if kind == 'blob':
        return base64.b64encode(value.encode()).decode()
    return value


def do_sample_response(case):
    protocol = case['protocol']
    operation = model(case['service']).operation_model(case['operation'])
    shape = operation.output_shape
    if shape is None:
        if protocol in ('query', 'ec2'):
            root = operation.name + 'Response'
            return {'status': 200, 'headers': {}, 'body': '<%s><requestId>req-1</requestId></%s>' % (root, root)}
        return {'status': 200, 'headers': {}, 'body': ''}
    if any(m.serialization.get('eventstream') for m in shape.members.values()):
        return {'skip': True}
    value = Sampler(case.get('depth', 4)).value(shape, 0, 'output') or {}
    headers = {'x-amzn-RequestId': 'req-1'}
    for name, member in shape.members.items():
        location = member.serialization.get('location')
        if name not in value or location is None:
            continue
        if location == 'header':
            if member.type_name == 'list':
                headers[member.serialization.get('name', name)] = ', '.join(_scalar_text(member.member, v) for v in value[name])
            else:
                headers[member.serialization.get('name', name)] = _scalar_text(member, value[name], 'header')
        elif location == 'headers':
            for key, item in value[name].items():
                headers[member.serialization.get('name', '') + key.replace(' ', '-')] = str(item)
    payload = shape.serialization.get('payload')
    body = ''
    if protocol in ('query', 'ec2'):
        inner = ''.join(_xml(shape, value, 'X')[3:-4].split('<X>', 1)[-1:])
        wrapper = shape.serialization.get('resultWrapper')
        if wrapper:
            inner = '<%s>%s</%s>' % (wrapper, inner, wrapper)
        if protocol == 'ec2':
            inner = '<requestId>req-1</requestId>' + inner
        else:
            inner += '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>'
        root = operation.name + 'Response'
        body = '<?xml version="1.0" encoding="UTF-8"?>\n<%s xmlns="https://example.com/doc/">%s</%s>' % (root, inner, root)
    elif payload:
        member = shape.members[payload]
        if payload in value:
            if member.type_name in ('blob', 'string'):
                body = value[payload]
            elif protocol == 'rest-xml':
                body = _xml(member, value[payload], member.serialization.get('name', payload))
            else:
                body = json.dumps(_json(member, value[payload]))
    elif protocol == 'rest-xml':
        body = _xml(shape, value, 'Result')
    else:
        body = json.dumps(_json(shape, value))
    return {'status': 200, 'headers': headers, 'body': body}


def main():
    mode = sys.argv[1]
    handler = {'serialize': do_serialize, 'parse': do_parse, 'sample': do_sample, 'paginate': do_paginate,
               'waiter': do_waiter, 'sample_response': do_sample_response}[mode]
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        case = json.loads(line)
        try:
            result = handler(case)
        except Exception as error:  # noqa: BLE001 - every failure is reported to the test
            result = {'error': '%s: %s' % (type(error).__name__, error)}
        sys.stdout.write(json.dumps(result, default=lambda o: 'UNSERIALIZABLE %s' % type(o).__name__) + '\n')


if __name__ == '__main__':
    main()
