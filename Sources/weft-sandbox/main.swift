import CJavaScriptCore

let group = JSContextGroupCreate()
JSContextGroupRelease(group)
