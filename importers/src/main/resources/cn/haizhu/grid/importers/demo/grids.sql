SELECT code, street_code FROM grid ORDER BY code
