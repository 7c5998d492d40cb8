from django.http import HttpRequest, HttpResponse


def lockout_response(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.", status=429)
